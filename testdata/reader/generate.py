# Generates the reader failure catalogue in this folder (deterministic; the files are committed).
# After adding a case, create its .expect with IRLINT_UPDATE_EXPECT=1 (see docs/robustness.md)
# and review it line by line.
import os, random, struct
D=os.path.dirname(os.path.abspath(__file__))
T='\t'
def dims(ds, ind):
    return ''.join(f'{ind}<dim>{d}</dim>\n' for d in ds)
def port(pid, ds, ind, prec='FP32'):
    p = f' precision="{prec}"' if prec else ''
    return f'{ind}<port id="{pid}"{p}>\n' + dims(ds, ind+T) + f'{ind}</port>\n'
def layer(lid, name, typ, ins=(), outs=(), data=None, ind=T*2, version='opset1', extra=''):
    v = f' version="{version}"' if version else ''
    s = f'{ind}<layer id="{lid}" name="{name}" type="{typ}"{v}>\n'
    if data is not None:
        s += f'{ind}{T}<data {data}/>\n'
    if ins:
        s += f'{ind}{T}<input>\n' + ''.join(port(p, d, ind+T*2) for p, d in ins) + f'{ind}{T}</input>\n'
    if outs:
        s += f'{ind}{T}<output>\n' + ''.join(port(p, d, ind+T*2) for p, d in outs) + f'{ind}{T}</output>\n'
    s += extra
    return s + f'{ind}</layer>\n'
def edges(es, ind=T):
    return f'{ind}<edges>\n' + ''.join(f'{ind}{T}<edge from-layer="{a}" from-port="{b}" to-layer="{c}" to-port="{d}"/>\n' for a,b,c,d in es) + f'{ind}</edges>\n'
def net(layers, es, version=11, head='<?xml version="1.0"?>\n', tail=''):
    return head + f'<net name="case" version="{version}">\n{T}<layers>\n' + ''.join(layers) + f'{T}</layers>\n' + (edges(es) if es is not None else '') + tail + '</net>\n'
S=[1,3,8,8]
def base_layers(relu_in=S, relu_data=None, relu_type='ReLU'):
    return [layer(0,'input','Parameter',outs=[(0,S)],data='shape="1,3,8,8" element_type="f32"'),
            layer(1,'relu',relu_type,ins=[(0,relu_in)],outs=[(1,S)],data=relu_data),
            layer(2,'output','Result',ins=[(0,S)])]
BE=[(0,0,1,0),(1,1,2,0)]
base=net(base_layers(),BE)
cases={}
def add(name, text):
    assert name not in cases; cases[name]=text
def cut_after(s, marker, extra=0, occurrence=1):
    i=-1
    for _ in range(occurrence): i=s.index(marker,i+1)
    return s[:i+len(marker)+extra]
add('empty','')
add('whitespace-only','\n   \n')
rnd=random.Random(8)
add('binary-garbage', bytes(rnd.randrange(1,256) for _ in range(256)))
add('nul-byte', base.replace('name="relu"','name="re\0lu"'))
add('bom-valid', '\ufeff'+base)
add('crlf-valid', base.replace('\n','\r\n'))
add('doctype-internal-entity', base.replace('<net ','<!DOCTYPE net [\n<!ENTITY name "expanded">\n]>\n<net ',1).replace('name="relu"','name="&name;"'))
add('doctype-external-entity', base.replace('<net ','<!DOCTYPE net [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<net ',1).replace('name="relu"','name="&xxe;"'))
add('doctype-billion-laughs', base.replace('<net ','<!DOCTYPE net [\n<!ENTITY a "aaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n<net ',1).replace('name="relu"','name="&c;"'))
add('non-utf8-name', base.replace('name="relu"','name="r\xe9lu"').encode('latin-1'))
add('overlong-utf8', base.encode().replace(b'name="relu"', b'name="\xc0\xafrelu"'))
add('truncated-after-declaration', cut_after(base,'?>\n'))
add('truncated-mid-tag', cut_after(base,'<layer id="1" na'))
add('truncated-mid-attribute', cut_after(base,'type="Re'))
add('truncated-mid-dim', cut_after(base,'<dim>3',occurrence=2))
add('truncated-after-layers', cut_after(base,'</layers>\n'))
add('truncated-mid-edges', cut_after(base,'to-port="0"/>\n'))
add('truncated-before-net-end', base[:base.rindex('</net>')])
add('mismatched-end-tag', base.replace('</layers>','</layer>'))
add('no-net', base.replace('<net ','<model ').replace('</net>','</model>'))
no_layers = '<?xml version="1.0"?>\n<net name="case" version="11">\n' + edges(BE) + '</net>\n'
add('no-layers', no_layers)
add('no-edges', net(base_layers(), None))
add('version-missing', base.replace(' version="11"',''))
add('version-unknown', base.replace('version="11"','version="9"'))
add('version-garbage', base.replace('version="11"','version="eleven"'))
add('duplicate-layer-id', base.replace('<layer id="2"','<layer id="1"').replace('to-layer="2"','to-layer="1"'))
add('edge-missing-layer', base.replace('to-layer="2"','to-layer="7"'))
add('edge-missing-output-port', base.replace('from-port="1"','from-port="5"'))
add('edge-missing-input-port', base.replace('to-layer="2" to-port="0"','to-layer="2" to-port="3"'))
add('edge-bad-attribute', base.replace('from-port="1"','from-port="one"'))
add('port-fed-twice', net(base_layers(), BE+[(0,0,2,0)]))
cyc_layers=[layer(0,'input','Parameter',outs=[(0,S)],data='shape="1,3,8,8" element_type="f32"'),
            layer(1,'a','Add',ins=[(0,S),(1,S)],outs=[(2,S)]),
            layer(2,'b','ReLU',ins=[(0,S)],outs=[(1,S)]),
            layer(3,'output','Result',ins=[(0,S)])]
add('cycle', net(cyc_layers,[(0,0,1,0),(1,2,2,0),(2,1,1,1),(2,1,3,0)]))
add('dim-negative', net(base_layers(relu_in=[1,-3,8,8]),BE))
add('dim-garbage', net(base_layers(relu_in=[1,'abc',8,8]),BE))
add('dim-empty', net(base_layers(relu_in=[1,'',8,8]),BE))
add('dim-bad-range', net(base_layers(relu_in=[1,'10..2',8,8]),BE))
big=[2**31,2**31,1,1]
add('dim-product-2p62', net([layer(0,'input','Parameter',outs=[(0,big)],data='shape="2147483648,2147483648,1,1" element_type="f32"'),
    layer(1,'output','Result',ins=[(0,big)])],[(0,0,1,0)]))
huge=[2**32,2**32,2,1]
add('dim-product-overflow', net([layer(0,'input','Parameter',outs=[(0,huge)],data='shape="4294967296,4294967296,2,1" element_type="f32"'),
    layer(1,'output','Result',ins=[(0,huge)])],[(0,0,1,0)]))
add('dims-mismatch-edge', net(base_layers(relu_in=[1,4,8,8]),BE))
add('rank-mismatch-edge', net(base_layers(relu_in=[3,8,8]),BE))
def conv_model(data, version=11, typ='Convolution'):
    W=[8,3,3,3]; O=[1,8,8,8]
    return net([layer(0,'input','Parameter',outs=[(0,S)],data='shape="1,3,8,8" element_type="f32"'),
        layer(1,'weights','Const',outs=[(0,W)],data='element_type="f32" offset="0" shape="8,3,3,3" size="864"'),
        layer(2,'conv',typ,ins=[(0,S),(1,W)],outs=[(2,O)],data=data),
        layer(3,'output','Result',ins=[(0,O)])],[(0,0,2,0),(1,0,2,1),(2,2,3,0)],version=version)
good_conv='auto_pad="explicit" dilations="1,1" pads_begin="1,1" pads_end="1,1" strides="1,1"'
add('strides-garbage', conv_model(good_conv.replace('strides="1,1"','strides="a,b"')))
add('pads-garbage', conv_model(good_conv.replace('pads_begin="1,1"','pads_begin="1;1"')))
legacy_conv=net([layer(0,'input','Input',outs=[(0,S)],version=None),
    layer(1,'conv','Convolution',ins=[(0,S)],outs=[(1,[1,3,8,8])],version=None,
      data='dilations="1,1" group="x" kernel="3,3" output="3" pads_begin="1,1" pads_end="1,1" strides="1,1"',
      extra=f'{T*3}<blobs>\n{T*4}<weights offset="0" size="108"/>\n{T*3}</blobs>\n')],[(0,0,1,0)],version=7)
add('group-garbage', legacy_conv)
add('group-zero', legacy_conv.replace('group="x"','group="0"'))
add('clamp-min-garbage', net(base_layers(relu_type='Clamp', relu_data='min="foo" max="6"'),BE))
add('relu-slope-garbage', net([layer(0,'input','Input',outs=[(0,S)],version=None),
    layer(1,'relu','ReLU',ins=[(0,S)],outs=[(1,S)],version=None,data='negative_slope="slope"')],[(0,0,1,0)],version=7))
add('port-missing-id', base.replace('<port id="1" precision','<port precision'))
add('port-duplicate-id', net([layer(0,'input','Parameter',outs=[(0,S)],data='shape="1,3,8,8" element_type="f32"'),
    layer(1,'add','Add',ins=[(0,S),(0,S)],outs=[(2,S)]),layer(2,'output','Result',ins=[(0,S)])],[(0,0,1,0),(1,2,2,0)]))
add('layer-missing-id', base.replace('<layer id="1" ','<layer '))
add('layer-missing-type', base.replace(' type="ReLU"',''))
add('const-offset-past-bin', conv_model(good_conv).replace('offset="0" shape','offset="800" shape'))
add('const-negative-offset', conv_model(good_conv).replace('offset="0" shape','offset="-4" shape'))
add('legacy-blob-past-bin', legacy_conv.replace('group="x"','group="1"').replace('offset="0" size="108"','offset="64" size="108"'))
# TensorIterator bodies
def ti_layer(lid, name, depth, ind, bad=None):
    ind2=ind+T*2
    if depth==0:
        inner=[layer(0,f'p{lid}','Parameter',outs=[(0,S)],data='shape="1,3,8,8" element_type="f32"',ind=ind2+T),
               layer(1,f'r{lid}','Result',ins=[(0,S)],ind=ind2+T)]
    else:
        inner=[layer(0,f'p{depth}','Parameter',outs=[(0,S)],data='shape="1,3,8,8" element_type="f32"',ind=ind2+T),
               ti_layer(1,f'ti{depth}',depth-1,ind2+T),
               layer(2,f'r{depth}','Result',ins=[(0,S)],ind=ind2+T)]
    es=[(0,0,1,0)] if depth==0 else [(0,0,1,0),(1,1,2,0)]
    res=1 if depth==0 else 2
    ext_in, int_in, ext_out = 0, 0, 1
    if bad=='port': ext_in=4
    if bad=='layer': int_in=9
    extra=(f'{ind+T}<port_map>\n{ind+T*2}<input external_port_id="{ext_in}" internal_layer_id="{int_in}"/>\n'
           f'{ind+T*2}<output external_port_id="{ext_out}" internal_layer_id="{res}"/>\n{ind+T}</port_map>\n'
           + (f'{ind+T}<back_edges>\n{ind+T*2}<edge from-layer="{res}" to-layer="7"/>\n{ind+T}</back_edges>\n' if bad=='back' else '')
           + f'{ind+T}<body>\n{ind2}<layers>\n' + ''.join(inner) + f'{ind2}</layers>\n' + edges(es, ind2) + f'{ind+T}</body>\n')
    return layer(lid,name,'TensorIterator',ins=[(0,S)],outs=[(1,S)],ind=ind,extra=extra)
def ti_model(depth, bad=None):
    return net([layer(0,'input','Parameter',outs=[(0,S)],data='shape="1,3,8,8" element_type="f32"'),
                ti_layer(1,'ti',depth,T*2,bad), layer(2,'output','Result',ins=[(0,S)])],BE)
add('body-nested-10-valid', ti_model(9))
add('body-nested-20', ti_model(19))
add('body-port-map-missing-port', ti_model(0,'port'))
add('body-port-map-missing-layer', ti_model(0,'layer'))
add('body-back-edge-missing-layer', ti_model(0,'back'))
add('body-inner-dangling-edge', ti_model(0).replace('<edge from-layer="0" from-port="0" to-layer="1" to-port="0"/>','<edge from-layer="0" from-port="0" to-layer="5" to-port="0"/>',1) if False else ti_model(0).replace('to-layer="1" to-port="0"/>\n\t\t\t\t</edges>','to-layer="5" to-port="0"/>\n\t\t\t\t</edges>'))
add('huge-attribute', base.replace('element_type="f32"','element_type="f32" comment="'+'x'*70000+'"'))
deep='<rt_info>\n' + ''.join(f'<n{i}>' for i in range(70)) + ''.join(f'</n{i}>' for i in reversed(range(70))) + '\n</rt_info>\n'
add('meta-nested-70', base.replace('</net>', deep+'</net>'))
tab_rt='\t<rt_info>\n\t\t<MO_version\t value="2020.1.0" />\n\t\t<MO_version value="again" />\n\t</rt_info>\n'
add('rt-info-tab-in-tag-valid', base.replace('</net>', tab_rt+'</net>'))
add('legacy-v7-valid', legacy_conv.replace('group="x"','group="1"'))
add('unknown-op-valid', net(base_layers(relu_type='MyCustomOp'),BE))
for name, text in cases.items():
    data = text if isinstance(text, bytes) else text.encode('utf-8')
    open(f'{D}/{name}.xml','wb').write(data)
# tiny weights: 128 bytes for the conv cases and legacy cases that read blobs
for name in ['const-offset-past-bin','legacy-blob-past-bin','legacy-v7-valid','strides-garbage','group-garbage']:
    open(f'{D}/{name}.bin','wb').write(bytes(range(128))*8 if name in ('strides-garbage',) else bytes(range(128)))
print(len(cases))
